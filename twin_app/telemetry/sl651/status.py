"""The station status and alarm word ZT (identifier 45H, Table 58) and the 4CH/4EH payloads."""

from __future__ import annotations

from dataclasses import dataclass

STATUS_BITS: dict[int, tuple[str, str]] = {
    0: ("ac_power_failure", "AC power: 1 = power failure"),
    1: ("battery_low", "battery voltage: 1 = low"),
    2: ("water_level_alarm", "water level over limit: 1 = alarm"),
    3: ("flow_alarm", "flow over limit: 1 = alarm"),
    4: ("water_quality_alarm", "water quality over limit: 1 = alarm"),
    5: ("flow_meter_fault", "flow meter: 1 = fault"),
    6: ("level_gauge_fault", "water-level gauge: 1 = fault"),
    7: ("cabinet_door_closed", "cabinet door: 0 = open, 1 = closed"),
    8: ("memory_fault", "memory: 1 = fault"),
    9: ("ic_card_valid", "IC card: 1 = valid"),
    10: ("pump_stopped", "pump: 0 = running, 1 = stopped"),
    11: ("remaining_volume_alarm", "remaining water volume: 1 = alarm"),
}
"""Bit number to (flag name, meaning) for the defined bits 0-11; bits 12-31 are reserved."""


@dataclass(frozen=True, slots=True)
class StatusWord:
    """A decoded ZT word.

    Attributes
    ----------
    word : int
        The 32-bit word as sent (big-endian).
    """

    word: int

    def bit(self, number: int) -> bool:
        """Return whether bit ``number`` (0 = least significant) is set."""
        return bool(self.word >> number & 1)

    @property
    def flags(self) -> dict[str, bool]:
        """The defined bits by name (``{"battery_low": False, ...}``)."""
        return {name: self.bit(number) for number, (name, _) in STATUS_BITS.items()}

    @property
    def alarms(self) -> list[str]:
        """Names of the conditions that need attention (faults, alarms, open door, no power)."""
        flags = self.flags
        active = [name for name, value in flags.items()
                  if value and name not in ("cabinet_door_closed", "ic_card_valid", "pump_stopped")]
        if not flags["cabinet_door_closed"]:
            active.append("cabinet_door_open")
        return active

    @property
    def reserved_bits(self) -> int:
        """Bits 12-31, which the standard reserves (non-zero is worth a look)."""
        return self.word >> 12


def decode_bit_field(raw: bytes, count: int) -> list[bool]:
    """Decode a 4CH/4EH state bit field: D0 of the first byte is unit 1.

    Parameters
    ----------
    raw : bytes
        The bit-field bytes.
    count : int
        Units described (pumps or gates).

    Returns
    -------
    list of bool
        ``True`` = on / open, for units 1..count.
    """
    return [bool(raw[i // 8] >> (i % 8) & 1) for i in range(min(count, 8 * len(raw)))]
