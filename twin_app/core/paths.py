"""Where the app finds its scenes, models and resources.

The project folder holds ``scenes/``, ``bim_assets/`` and ``resources/`` beside the ``twin_app``
package.  ``TWIN_APP_HOME`` overrides it; ``TWIN_APP_SCENE_PATH`` (an ``os.pathsep``-separated list)
adds folders of scenes.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "twin_app"


def project_root() -> Path:
    """Return the folder holding ``scenes/``, ``bim_assets/`` and ``resources/``."""
    override = os.environ.get("TWIN_APP_HOME")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    """Return the folder of icons, translations and style sheets."""
    return project_root() / "resources"


def asset_roots() -> list[Path]:
    """Return the shared asset folders a scene may refer into, besides its own folder."""
    return [project_root() / "bim_assets"]


def scene_search_path() -> list[Path]:
    """Return the folders searched for a scene given by name, in order."""
    extra = [Path(p) for p in os.environ.get("TWIN_APP_SCENE_PATH", "").split(os.pathsep) if p]
    return [*extra, project_root() / "scenes", user_data_dir() / "scenes"]


DATA_ENV = "TWIN_APP_DATA"


def user_data_dir() -> Path:
    """Return the user's data folder for the app (``TWIN_APP_DATA`` overrides it)."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    """Return the user's cache folder for the app (tessellation and tile caches)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


RUNS_ENV = "TWIN_APP_RUNS"


def rehearsal_runs_dir() -> Path:
    """Return where rehearsal run folders go (``TWIN_APP_RUNS`` overrides the user data folder)."""
    override = os.environ.get(RUNS_ENV)
    return Path(override) if override else user_data_dir() / "rehearsals"
