"""Choosing between MPIO and MCS: the guide's rules, each with its reason in words.

:func:`recommend` applies the rules of the guide's section on choosing a multipath
technology (``shared/domain.md`` section 6) to a few yes/no facts about the site and
returns ``MPIO``, ``MCS`` or ``either`` with every rule that fired, the warnings and
the notes.

Rules, in the guide's order:

==========================  ==========  =============================================
fact                        leads to    the guide's reason
==========================  ==========  =============================================
``no_mcs_support``          MPIO        some storage devices do not support MCS: MPIO
                                        is then the only option (hard constraint)
``per_lun_policies``        MPIO        MCS sets policies per session, MPIO per LUN
``hba``                     MPIO        hardware iSCSI HBAs tend to support MPIO over
                                        MCS (and bring boot from iSCSI)
``guest_os`` XP/Vista/7     MCS         MPIO is not available there: iSCSI connections
                                        made directly from such VMs must use MCS
                                        (hard constraint for those connections)
``high_utilization``        MPIO        MCS uses more processor under heavy load
none of these               either      similar performance and manageability; MCS is
                                        marginally faster while connections per
                                        session stay few
==========================  ==========  =============================================

Conflicts are resolved by the hard constraints: a guest that cannot run MPIO forces
MCS over the MPIO preferences (per-LUN policies, HBAs, busy hosts), which become
warnings. When the guest cannot run MPIO AND the storage has no MCS, no multipath
technology works inside those guests; the recommendation is then MPIO in the Hyper-V
host (the storage leaves no other choice), with the guests given disks by the host
instead of their own iSCSI connections, and a warning says so.

Always present: the warning that NIC teaming for storage traffic is not supported by
Microsoft or most storage vendors, and the note that hardware iSCSI HBAs are rarely
needed.

References
----------
[1] The source guide, "Creating Highly-Available Hyper-V with iSCSI Storage": NIC
    Teaming, MCS, MPIO, "Which should I use?", "Do I need hardware iSCSI HBAs?"
    (``shared/seed``).
[2] Microsoft iSCSI Software Target 3.3, KB 2535811: do not team adapters for iSCSI
    (``shared/FACTS.md``).
[3] NetApp Windows Host Utilities: MPIO is supported on Windows Server versions; "MPIO
    is not supported on any version of Windows running in a Hyper-V virtual machine"
    (their DSM; check your vendor's).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from hvdesign.errors import HvdesignError

#: Guest operating systems :func:`recommend` knows (case-insensitive; spaces and
#: underscores may replace hyphens, so ``"Windows 7"`` is ``windows-7``).
GUEST_OS: tuple[str, ...] = (
    "windows-xp",
    "windows-vista",
    "windows-7",
    "windows-8",
    "windows-8.1",
    "windows-10",
    "windows-11",
    "windows-server-2003",
    "windows-server-2003-r2",
    "windows-server-2008",
    "windows-server-2008-r2",
    "windows-server-2012",
    "windows-server-2012-r2",
    "windows-server-2016",
    "windows-server-2019",
    "windows-server-2022",
    "windows-server-2025",
    "linux",
)
#: What ``guest_os`` allows, in words short enough for a one-line message.
GUEST_OS_ALLOWED = (
    "windows-xp, windows-vista, windows-7, windows-8, windows-8.1, windows-10, windows-11, "
    "windows-server-2003 (also -2003-r2, -2008, -2008-r2, -2012, -2012-r2, -2016, -2019, "
    "-2022, -2025), linux; or a list of them, or None"
)
#: Guests without MPIO, as the guide names them.
NO_MPIO_GUESTS: tuple[str, ...] = ("windows-xp", "windows-vista", "windows-7")
#: Desktop Windows after the guide (2010): it is silent on them.
LATER_DESKTOPS: tuple[str, ...] = ("windows-8", "windows-8.1", "windows-10", "windows-11")
#: The possible recommendations.
RECOMMENDATIONS: tuple[str, ...] = ("MPIO", "MCS", "either")

TEAMING_WARNING = (
    "NIC teaming for storage (iSCSI) traffic is neither supported nor a best practice "
    "(Microsoft and most storage vendors): give each storage NIC its own subnet and "
    "use MPIO or MCS instead."
)
HBA_NOTE = (
    "Hardware iSCSI HBAs are rarely needed: modern server NICs offload the work (TCP "
    "Chimney, RSS, checksum offload, jumbo frames) and can boot from iSCSI themselves."
)


@dataclass(frozen=True)
class Recommendation:
    """What :func:`recommend` returns.

    Attributes: ``recommendation`` (``MPIO``, ``MCS`` or ``either``); ``reasons`` (one
    sentence per rule that fired, the guide's reason in words); ``rules`` (the ids of
    those rules: ``no_mcs_support``, ``per_lun_policies``, ``hba``, ``guest_os``,
    ``high_utilization``, ``default``); ``warnings``; ``notes``; ``inputs`` (the
    facts, normalised).
    """

    recommendation: str
    reasons: list[str]
    rules: list[str]
    warnings: list[str]
    notes: list[str]
    inputs: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field."""
        return asdict(self)


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise HvdesignError(name, value, "True or False")
    return value


def _guest_names(guest_os: Any) -> list[str]:
    if guest_os is None:
        return []
    items = [guest_os] if isinstance(guest_os, str) else guest_os
    allowed = GUEST_OS_ALLOWED
    if not isinstance(items, list | tuple) or not items:
        raise HvdesignError("guest_os", guest_os, allowed)
    out = []
    for g in items:
        name = (
            "-".join(g.strip().lower().replace("_", " ").replace("-", " ").split())
            if isinstance(g, str)
            else g
        )
        if name not in GUEST_OS:
            raise HvdesignError("guest_os", g, allowed)
        out.append(name)
    return out


def recommend(
    *,
    no_mcs_support: bool = False,
    per_lun_policies: bool = False,
    hba: bool = False,
    guest_os: str | list[str] | None = None,
    high_utilization: bool = False,
    storage_teaming: bool = False,
) -> Recommendation:
    """MPIO, MCS or either, by the guide's rules.

    Parameters
    ----------
    no_mcs_support : bool
        The storage device does not support MCS.
    per_lun_policies : bool
        Different load-balance policies are needed for different LUNs.
    hba : bool
        Hardware iSCSI HBAs are used (for example to boot from iSCSI).
    guest_os : str, list of str or None
        The OS of virtual machines that make iSCSI connections DIRECTLY (their own
        initiator), one of :data:`GUEST_OS`; None when no VM does.
    high_utilization : bool
        The Hyper-V hosts run at high processor utilisation.
    storage_teaming : bool
        The design teams the storage NICs (unsupported; always warned about, more
        strongly when True).

    Examples
    --------
    >>> recommend(no_mcs_support=True).recommendation
    'MPIO'
    >>> recommend(guest_os="Windows 7").recommendation
    'MCS'
    >>> recommend().recommendation
    'either'
    """
    facts = {
        "no_mcs_support": _flag("no_mcs_support", no_mcs_support),
        "per_lun_policies": _flag("per_lun_policies", per_lun_policies),
        "hba": _flag("hba", hba),
        "high_utilization": _flag("high_utilization", high_utilization),
        "storage_teaming": _flag("storage_teaming", storage_teaming),
    }
    guests = _guest_names(guest_os)
    old = [g for g in guests if g in NO_MPIO_GUESTS]
    later = [g for g in guests if g in LATER_DESKTOPS]
    reasons: list[str] = []
    rules: list[str] = []
    warnings: list[str] = []
    notes = [HBA_NOTE]

    mpio_soft = []  # MPIO preferences that a guest without MPIO overrides
    if facts["no_mcs_support"]:
        rules.append("no_mcs_support")
        reasons.append(
            "The storage device does not support MCS, so MPIO is the only option "
            "(MCS needs support on the storage device)."
        )
    if facts["per_lun_policies"]:
        rules.append("per_lun_policies")
        mpio_soft.append("per-LUN load-balance policies")
        reasons.append(
            "Different load-balance policies per LUN call for MPIO: MCS defines its "
            "policy per session (all LUNs of the session share it), MPIO per LUN."
        )
    if facts["hba"]:
        rules.append("hba")
        mpio_soft.append("hardware iSCSI HBAs")
        reasons.append(
            "Hardware iSCSI HBAs tend to support MPIO over MCS (and bring features such "
            "as boot from iSCSI): with HBAs, use MPIO."
        )
    if old:
        rules.append("guest_os")
        reasons.append(
            f"MPIO is not available on {', '.join(old)}: iSCSI connections made "
            "directly from these virtual machines must use MCS."
        )
    if facts["high_utilization"]:
        rules.append("high_utilization")
        mpio_soft.append("highly utilised hosts")
        reasons.append(
            "On highly utilised Hyper-V hosts MPIO is the better choice: MCS is "
            "marginally faster but uses more processor, particularly under heavy load."
        )

    if old and facts["no_mcs_support"]:
        choice = "MPIO"
        warnings.append(
            f"Conflict: {', '.join(old)} cannot run MPIO and the storage does not "
            "support MCS, so no multipath technology works inside these guests."
        )
        reasons.append(
            "Resolved towards MPIO because the storage constraint cannot be worked "
            "around while the guest one can: connect iSCSI with MPIO in the Hyper-V "
            "host and give these virtual machines their disks through the host (VHD or "
            "pass-through) instead of direct iSCSI connections from the guests."
        )
    elif old:
        choice = "MCS"
        if mpio_soft:
            warnings.append(
                f"Conflict: {' and '.join(mpio_soft)} favour MPIO, but {', '.join(old)} "
                "cannot run MPIO; MCS is recommended for the guests' direct iSCSI "
                "connections (the hosts' own connections can still use MPIO)."
            )
            reasons.append(
                "Resolved towards MCS because a guest without MPIO is a hard "
                "constraint and the MPIO rules are preferences."
            )
    elif rules:
        choice = "MPIO"
    else:
        choice = "either"
        rules.append("default")
        reasons.append(
            "No rule forces a choice: MPIO and MCS perform and manage similarly; MCS "
            "is marginally faster as long as the connections per session stay few, "
            "MPIO uses less processor and one DSM serves several transports."
        )

    teaming = TEAMING_WARNING
    if facts["storage_teaming"]:
        teaming = "This design teams its storage NICs, which is an error. " + teaming
    warnings.insert(0, teaming)
    if later:
        warnings.append(
            f"The guide (2010) names only Windows XP, Vista and 7 as lacking MPIO; "
            f"check whether {', '.join(later)} offers MPIO before relying on it in "
            "the guest (the Multipath I/O feature ships with Windows Server)."
        )
    if guests:
        notes.append(
            "Some storage vendors do not support MPIO inside Hyper-V virtual machines "
            "at all (NetApp's Host Utilities, for one): check your vendor's support "
            "matrix for in-guest multipathing."
        )
    inputs = {**facts, "guest_os": guests or None}
    return Recommendation(choice, reasons, rules, warnings, notes, inputs)
