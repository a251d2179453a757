"""The ``hvdesign`` command line: a thin face over the package.

Every command that analyses a design takes the design the same way: ``TARGET`` is a
tier id (with ``--nodes N``) or a design file (YAML), then any ``--set KEY=VALUE``
overrides. Bad input prints one line ``hvdesign: error: ...`` on stderr and exits with
status 2; no traceback, no output file.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from hvdesign.cli.common import (
    EXIT_BAD_INPUT,
    design_options,
    emit,
    make_rules,
    resolve_design,
    rules_options,
)
from hvdesign.counts import summary
from hvdesign.errors import HvdesignError
from hvdesign.spec import (
    TIERS,
    design_to_yaml,
)


class _Group(click.Group):
    """A click group that turns bad input into one line and exit status 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D401
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except HvdesignError as err:
            click.echo(f"hvdesign: error: {err}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.exceptions.NoArgsIsHelpError as err:
            click.echo(err.ctx.get_help() if err.ctx else str(err))
            sys.exit(EXIT_BAD_INPUT)
        except click.UsageError as err:
            hint = f" (see 'hvdesign {err.ctx.command.name} --help')" if err.ctx else ""
            click.echo(f"hvdesign: error: {err.format_message()}{hint}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.Abort:
            click.echo("hvdesign: aborted", err=True)
            sys.exit(130)
        except click.exceptions.Exit as err:
            sys.exit(err.exit_code)
        except BrokenPipeError:
            sys.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hvdesign")
def main() -> None:
    """Design and cost highly available Hyper-V clusters on iSCSI storage.

    TARGET is a tier id (see 'hvdesign tiers') or a design file (YAML).
    """


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def tiers(as_json: bool) -> None:
    """List the five redundancy tiers of the guide."""
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": t.id,
                        "figure": t.figure,
                        "title": t.title,
                        "summary": t.summary,
                        "preset": t.preset,
                    }
                    for t in TIERS.values()
                ],
                indent=2,
            )
        )
        return
    for t in TIERS.values():
        click.echo(f"{t.id:31} {t.figure:9} {t.title}")
        click.echo(f"{'':41} {t.summary}")


@main.command("summary")
@design_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def summary_cmd(target: str, nodes: str | None, sets: tuple[str, ...], as_json: bool) -> None:
    """Connections, switch ports and IP addresses of a design."""
    design = resolve_design(target, nodes, sets)
    s = summary(design)
    if as_json:
        click.echo(json.dumps(s, indent=2))
        return
    click.echo(f"{s['name']}  [{s['tier']}, {design.tier_info.figure}]")
    click.echo(
        f"  hosts: {s['nodes']}{' (cluster)' if s['cluster'] else ''}, "
        f"Windows Server {s['windows_version']}, switches: {s['switches']}"
    )
    per = ", ".join(f"{k} {v}" for k, v in s["connections_per_host"].items() if v)
    click.echo(
        f"  connections per host: {s['connections_per_host_total']} ({per}) "
        f"on {s['subnets_per_host']} subnets"
    )
    click.echo(f"  host connections in total: {s['host_connections_total']}")
    for sw, p in s["switch_ports"].items():
        click.echo(
            f"  {sw}: {p['total']} ports (host {p['host']}, SAN {p['san']}, "
            f"uplink {p['uplink']}, ISL {p['isl']}); {s['switch_units'][sw]} unit(s) "
            f"of {design.switch_ports_per_unit} ports"
        )
    click.echo(f"  switch ports in total: {s['switch_ports_total']}")
    addr = ", ".join(f"{k} {v}" for k, v in s["ip_addresses_by_subnet"].items())
    click.echo(f"  IP addresses per subnet: {addr}")


@main.command()
@click.argument("tier", metavar="TIER")
@click.option("--nodes", "-n", metavar="N", help="Number of Hyper-V hosts.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override an option.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def design(tier: str, nodes: str | None, sets: tuple[str, ...], output: str | None) -> None:
    """Print the full design (every option) as a design file (YAML)."""
    if tier not in TIERS:
        raise HvdesignError("TIER", tier, "one of " + ", ".join(TIERS))
    emit(design_to_yaml(resolve_design(tier, nodes, sets)), output)


@main.command()
@design_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def ipplan(
    target: str, nodes: str | None, sets: tuple[str, ...], fmt: str, output: str | None
) -> None:
    """The IP plan: an address for every endpoint, from a CIDR per traffic class.

    Set the networks with e.g. --set 'subnets={storage: 192.168.50.0/23}'.
    """
    from hvdesign.plans import ip_plan

    plan = ip_plan(resolve_design(target, nodes, sets))
    emit(_format_table(plan, fmt), output)


@main.command()
@design_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "netbox", "json"]),
    default="table",
    show_default=True,
    help="netbox: NetBox's cable bulk-import CSV.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def cabling(
    target: str, nodes: str | None, sets: tuple[str, ...], fmt: str, output: str | None
) -> None:
    """The cabling plan: one row per cable (device, port, NIC card, switch, port)."""
    from hvdesign.plans import cabling_plan, netbox_cables

    plan = cabling_plan(resolve_design(target, nodes, sets))
    if fmt == "netbox":
        emit(netbox_cables(plan).to_csv(index=False), output)
    else:
        emit(_format_table(plan, fmt), output)


def _format_table(df, fmt: str) -> str:
    if fmt == "csv":
        return df.to_csv(index=False)
    if fmt == "json":
        return df.to_json(orient="records", indent=2)
    return df.to_string(index=False)


@main.command()
@click.argument("target", metavar="TARGET", required=False)
@click.option("--nodes", "-n", metavar="N", help="Number of Hyper-V hosts.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override an option.")
@click.option(
    "--compare",
    nargs=2,
    metavar="A.yaml B.yaml",
    help="Two design files side by side, their differences marked (instead of TARGET).",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE.html",
    required=True,
    help="The HTML file to write (self-contained; opens offline).",
)
def report(
    target: str | None,
    nodes: str | None,
    sets: tuple[str, ...],
    compare: tuple[str, str] | None,
    output: str,
) -> None:
    """Write a self-contained HTML report of a design (TARGET: a tier id with
    --nodes, or a design file), or of two designs with --compare A.yaml B.yaml."""
    if compare:
        if target or nodes or sets:
            raise HvdesignError(
                "--compare",
                " ".join(compare),
                "two design files and -o, without TARGET, --nodes or --set",
            )
        from hvdesign.report.compare import compare_paths

        path = compare_paths(compare[0], compare[1], output)
    else:
        if target is None:
            raise HvdesignError(
                "TARGET", None, "a tier id or a design file, or --compare A B", detail="missing"
            )
        from hvdesign.report.build import write_report

        path = write_report(resolve_design(target, nodes, sets), output)
    click.echo(f"wrote {path}", err=True)


@main.command()
@design_options
@rules_options
@click.option("--double", is_flag=True, help="Also every pair of failed components.")
@click.option(
    "--method",
    type=click.Choice(["fast", "bruteforce"]),
    default="fast",
    show_default=True,
    help="bruteforce: a graph search per scenario (reference).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def coverage(
    target: str,
    nodes: str | None,
    sets: tuple[str, ...],
    reserve: int,
    quorum: str,
    csv_redirected_io: bool,
    network_health_detection: str,
    double: bool,
    method: str,
    as_json: bool,
) -> None:
    """Which single (and double) failures the design survives, and why."""
    from hvdesign.failures import analyse

    design = resolve_design(target, nodes, sets)
    rules = make_rules(reserve, quorum, csv_redirected_io, network_health_detection)
    # The text output shows counts and single failures only: no need to list pairs.
    cov = analyse(design, rules, double=double, method=method, expand=as_json)
    if as_json:
        sys.stdout.write(json.dumps(cov.to_dict()) + "\n")
        return
    click.echo(f"{design.title}  [{design.tier}, {design.nodes} nodes, method {method}]")
    spofs = cov.single_points_of_failure
    click.echo(f"  single points of failure: {', '.join(spofs) if spofs else 'none'}")
    click.echo(
        f"  single-failure coverage: {cov.single_failure_coverage:.1%} of "
        f"{len(cov.singles)} scenarios are not an outage"
    )
    if double:
        click.echo(
            f"  double-failure coverage: {cov.double_failure_coverage:.1%} of "
            f"{sum(cov.double_counts.values())} scenarios are not an outage"
        )
    click.echo("  single failures by kind (survived / failover / outage):")
    for kind, row in cov.by_kind().items():
        click.echo(f"    {kind:10} {row['survived']:6} {row['failover']:6} {row['outage']:6}")
    click.echo("  single failures:")
    for sc in cov.singles:
        down = f" ({sc.vms_down_fraction:.0%} of VMs down)" if sc.outcome == "outage" else ""
        click.echo(f"    {sc.outcome}{down}: {sc.reason}")


# Commands that live in their own modules (they import the helpers above).
from hvdesign.cli.availability import availability_cmd  # noqa: E402
from hvdesign.cli.cost import COMMANDS as _COST_COMMANDS  # noqa: E402
from hvdesign.cli.figure import figure  # noqa: E402
from hvdesign.cli.multipath import COMMANDS as _MULTIPATH_COMMANDS  # noqa: E402

for _command in (*_MULTIPATH_COMMANDS, availability_cmd, *_COST_COMMANDS, figure):
    main.add_command(_command)
