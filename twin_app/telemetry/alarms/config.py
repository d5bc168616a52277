"""Alarm configuration: overrides of the per-kind alarm defaults, read from a TOML file.

Example (every key is optional)::

    [shelving]
    max_hours = 8                        # longest an operator may shelve an alarm

    [defaults.water_level]               # all water-level sensors; values in the kind's
    deadband = 0.03                      # reference unit (piezometer: m; converted for kPa)
    rate_of_rise = { rate_per_hour = 0.8, window_min = 10 }
    stale = { after_min = 15 }

    [sensors.HPK-WL-01]                  # one sensor; values in the sensor's own unit
    deadband = 0.02
    on_delay_s = 30
    bad_quality = { from_quality = "suspect" }
    thresholds.wall_crest = { deadband = 0.05 }
    thresholds.design = { enabled = false }

    [sensors.HPK-RG-01]
    stale = false                        # no stale-data alarm for this gauge

``rate_of_rise``, ``stale`` and ``bad_quality`` take a table, ``true`` (on, with the defaults) or
``false`` (off).  Sensor and threshold ids must exist in the scene: a key that would do nothing is
an error (see :func:`twin_app.telemetry.alarms.definitions.definitions_from_scene`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from twin_app.core.scene import SensorKind
from twin_app.core.toml_lines import KeyPath, line_of
from twin_app.core.toml_model import TomlModelError, format_key, validate_toml
from twin_app.telemetry.alarms.errors import AlarmConfigError

logger = logging.getLogger(__name__)

NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
SeverityName = Literal["advisory", "warning", "alarm", "critical"]
QualityName = Literal["suspect", "bad", "missing"]
HINT = "see the module documentation of twin_app.telemetry.alarms.config for the format"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Switchable(_Strict):
    """A built-in alarm that a bare ``true`` or ``false`` can switch on or off."""

    enabled: bool = True
    severity: SeverityName | None = None


class RateOfRiseSettings(_Switchable):
    """Rate-of-rise alarm: the value rising faster than ``rate_per_hour`` over a window."""

    rate_per_hour: Positive | None = None
    window_min: Positive | None = None
    deadband_per_hour: NonNegative | None = None
    on_delay_s: NonNegative | None = None


class StaleSettings(_Switchable):
    """Stale-data alarm: no reading for ``after_min`` minutes."""

    after_min: Positive | None = None


class BadQualitySettings(_Switchable):
    """Bad-quality alarm: the latest reading's quality at or worse than ``from_quality``."""

    from_quality: QualityName | None = None


class ThresholdSettings(_Strict):
    """Overrides of one threshold's level alarm."""

    enabled: bool = True
    deadband: NonNegative | None = None
    on_delay_s: NonNegative | None = None
    severity: SeverityName | None = None


def _switch(value: Any) -> Any:
    if value is True:
        return {}
    if value is False:
        return {"enabled": False}
    return value


class KindSettings(_Strict):
    """Overrides for every sensor of one kind (values in the kind's reference unit)."""

    deadband: NonNegative | None = None
    on_delay_s: NonNegative | None = None
    rate_of_rise: RateOfRiseSettings | None = None
    stale: StaleSettings | None = None
    bad_quality: BadQualitySettings | None = None

    @field_validator("rate_of_rise", "stale", "bad_quality", mode="before")
    @classmethod
    def _true_or_false(cls, value: Any) -> Any:
        return _switch(value)


class SensorSettings(KindSettings):
    """Overrides for one sensor (values in the sensor's unit)."""

    enabled: bool = True
    thresholds: dict[str, ThresholdSettings] = Field(default_factory=dict)


class ShelvingSettings(_Strict):
    """Shelving policy."""

    max_hours: Annotated[float, Field(gt=0, le=24 * 7)] = 12.0


class AlarmConfig(_Strict):
    """Alarm overrides for a scene; an empty config means the built-in defaults.

    Use :meth:`load` or :meth:`from_text` to read one from TOML with errors that name the line.
    """

    defaults: dict[SensorKind, KindSettings] = Field(default_factory=dict)
    sensors: dict[str, SensorSettings] = Field(default_factory=dict)
    shelving: ShelvingSettings = Field(default_factory=ShelvingSettings)

    _source: str = PrivateAttr(default="<alarm config>")
    _lines: dict[KeyPath, int] = PrivateAttr(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> AlarmConfig:
        """Read and validate an alarm configuration file.

        Parameters
        ----------
        path : str or Path
            A TOML file.

        Returns
        -------
        AlarmConfig
            The validated configuration.

        Raises
        ------
        AlarmConfigError
            If the file cannot be read, is not TOML, or does not follow the format.
        """
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise AlarmConfigError(file, f"cannot be read ({error})",
                                   hint="check the path given for the alarm configuration"
                                   ) from None
        return cls.from_text(text, source=str(file))

    @classmethod
    def from_text(cls, text: str, *, source: str = "<alarm config>") -> AlarmConfig:
        """Validate an alarm configuration given as TOML text.

        Parameters
        ----------
        text : str
            The TOML document.
        source : str
            Where it came from, for error messages.

        Returns
        -------
        AlarmConfig
            The validated configuration.

        Raises
        ------
        AlarmConfigError
            If the text is not TOML or does not follow the format.
        """
        try:
            config, lines = validate_toml(text, cls)
        except TomlModelError as error:
            issue = error.issue
            problem = issue.problem
            if issue.error_type == "model_type" and issue.key:
                name = issue.key.rsplit(".", 1)[-1]
                problem = f"'{name}' must be a table, true or false (got {issue.value!r})"
            raise AlarmConfigError(source, problem, line=issue.line, key=issue.key,
                                   hint=HINT) from None
        config._source = source
        config._lines = lines
        logger.info("alarm config %s: %d kind override(s), %d sensor override(s)", source,
                    len(config.defaults), len(config.sensors))
        return config

    def error(self, path: KeyPath, problem: str, hint: str) -> AlarmConfigError:
        """Return an error about the key at ``path`` of this configuration, with its line."""
        return AlarmConfigError(self._source, problem, line=line_of(self._lines, path),
                                key=format_key(path), hint=hint)


