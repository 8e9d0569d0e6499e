"""Build machinery: the executor (serial and parallel), the shared test execution, site checks and
trimming, Sphinx extensions, chapter authoring, README generation.

Never imported by a chapter or by the domain and plots layers; only the Makefile, Sphinx
(``_config.yml``) and the tests use it."""

__all__: list[str] = []  # nothing at package level: import a submodule (netralitas.build.execute)
