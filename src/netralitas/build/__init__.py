"""Build layer: parallel chapter execution, the shared test execution and site trimming."""
