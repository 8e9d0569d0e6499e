"""Build machinery: the executor, site checks, Sphinx extensions, chapter authoring.

Never imported by a chapter or by the domain and plots layers; only the Makefile, Sphinx
(``_config.yml``) and the tests use it."""

__all__: list[str] = []  # nothing at package level: import a submodule (netralitas.build.execute)
