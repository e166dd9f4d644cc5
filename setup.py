"""Package layout: the code under src/, and resources/ at the top of the repository installed as the package
ontkoppel_desktop.resources, so importlib.resources finds it (also when frozen by PyInstaller).

Everything else is in pyproject.toml. This file remains because pyproject.toml can find packages under one
folder or list them by hand, but not both: here a package added under src/ is found without anyone editing
a list. Namespace discovery, because resources/fonts, icons and procedures are data folders without an
__init__.py that setuptools would otherwise warn about ("Package would be ignored")."""

from setuptools import find_namespace_packages, setup

RESOURCES = "ontkoppel_desktop.resources"

setup(
    packages=[
        # ontkoppel_server is the institute server; its dependencies are the extra "server" (pyproject.toml).
        *find_namespace_packages("src", include=["ontkoppel_desktop*", "ontkoppel_server*"], exclude=["*__pycache__*"]),
        RESOURCES,
        *(f"{RESOURCES}.{name}" for name in find_namespace_packages("resources", exclude=["*__pycache__*"])),
    ],
    package_dir={"": "src", RESOURCES: "resources"},
    package_data={RESOURCES: ["**/*"]},
    exclude_package_data={"": ["__pycache__", "*.py[co]"]},
)
