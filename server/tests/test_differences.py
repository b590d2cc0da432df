"""The "only differences are stored" algorithm (protocol 12, quirk 17), on the database directly."""

from sqlalchemy import func, select

from armadito_server.models import Agent, Antivirus, ConfigBaseline, ConfigOverride, ConfigReport
from armadito_server.services.config_reports import realtime_status, record_config
from armadito_server.services.differences import effective_config, store_differences

KIND = "avconfig"


def make_agents(session, count: int, antivirus_name: str = "Armadito") -> list[Agent]:
    antivirus = Antivirus(name=antivirus_name, version="1", osname="linux", fullname=f"{antivirus_name}+1+linux")
    session.add(antivirus)
    session.flush()
    agents = [
        Agent(uuid=f"{index:08d}-0000-0000-0000-000000000000", antivirus_id=antivirus.id) for index in range(count)
    ]
    session.add_all(agents)
    session.flush()
    return agents


def report(session, agent: Agent, entries: dict[str, str]) -> None:
    record_config(session, KIND, agent, entries)


def stored_rows(session) -> int:
    return sum(
        session.scalar(select(func.count()).select_from(model))
        for model in (ConfigBaseline, ConfigOverride, ConfigReport)
    )


def overrides(session, agent: Agent) -> dict:
    rows = session.scalars(select(ConfigOverride).where(ConfigOverride.agent_id == agent.id))
    return {row.attr: row.value for row in rows}


def test_worked_example_of_the_reference(database):
    with database.transaction() as session:
        agent2, agent3 = make_agents(session, 2)
        report(session, agent2, {"on-access": "enabled", "scan:archive": "1"})
        report(session, agent3, {"on-access": "enabled", "scan:archive": "0"})
        assert overrides(session, agent2) == {}
        assert overrides(session, agent3) == {"scan:archive": "0"}
        report(session, agent2, {"on-access": "disabled", "scan:archive": "1"})
        assert overrides(session, agent2) == {"on-access": "disabled"}
        report(session, agent2, {"on-access": "enabled", "scan:archive": "1"})
        assert overrides(session, agent2) == {}
        assert effective_config(session, KIND, agent2.id) == {"on-access": "enabled", "scan:archive": "1"}
        assert effective_config(session, KIND, agent3.id) == {"on-access": "enabled", "scan:archive": "0"}


def test_a_report_replaces_the_agents_full_set(database):
    with database.transaction() as session:
        first, second = make_agents(session, 2)
        report(session, first, {"a": "1", "b": "2"})
        report(session, second, {"a": "1", "c": "3"})
        # second lacks baseline attr b (NULL override) and adds c (a new baseline attr)
        assert overrides(session, second) == {"b": None}
        assert effective_config(session, KIND, second.id) == {"a": "1", "c": "3"}
        # c became a baseline attr that first never reported: it must not leak into its config
        report(session, first, {"a": "1", "b": "2"})
        assert effective_config(session, KIND, first.id) == {"a": "1", "b": "2"}
        report(session, second, {"a": "9"})
        assert effective_config(session, KIND, second.id) == {"a": "9"}


def test_comparison_is_exact(database):
    with database.transaction() as session:
        first, second = make_agents(session, 2)
        report(session, first, {"x": "1"})
        report(session, second, {"x": "1.0"})
        assert overrides(session, second) == {"x": "1.0"}


def test_an_agent_that_never_reported_has_no_configuration(database):
    with database.transaction() as session:
        first, second = make_agents(session, 2)
        report(session, first, {"x": "1"})
        assert effective_config(session, KIND, second.id) == {}


def test_kinds_are_independent(database):
    with database.transaction() as session:
        (agent,) = make_agents(session, 1)
        store_differences(session, "avdetails", agent.id, agent.antivirus_id, {"x": "1"})
        report(session, agent, {"x": "2"})
        assert session.scalar(select(func.count()).select_from(ConfigBaseline)) == 2
        assert effective_config(session, "avdetails", agent.id) == {}  # no avdetails report row


AGENTS = 1000  # the target of the design
KEYS = 50


def common_config() -> dict[str, str]:
    return {f"section:key{index}": f"value {index}" for index in range(KEYS)}


def test_agents_sharing_one_configuration_cost_one_row_each(database):
    with database.transaction() as session:
        agents = make_agents(session, AGENTS)
        for agent in agents:
            report(session, agent, common_config())
        assert stored_rows(session) <= KEYS + AGENTS
        assert all(effective_config(session, KIND, agent.id) == common_config() for agent in agents[::37])


def test_agents_each_differing_in_one_key_cost_two_rows_each(database):
    with database.transaction() as session:
        agents = make_agents(session, AGENTS)
        report(session, agents[0], common_config())  # the first reporter sets the baseline
        expected = {}
        for index, agent in enumerate(agents[1:], start=1):
            config = common_config()
            config[f"section:key{index % KEYS}"] = f"agent {index}"
            report(session, agent, config)
            expected[agent.id] = config
        assert stored_rows(session) <= KEYS + 2 * AGENTS
        for agent_id in list(expected)[::23]:
            assert effective_config(session, KIND, agent_id) == expected[agent_id]


def test_realtime_status_comes_from_the_on_access_attribute():
    assert realtime_status({"on-access-linux:enable": "1"}) == "enabled"
    assert realtime_status({"on-access": "disabled"}) == "disabled"
    assert realtime_status({"RealTimeProtectionEnabled": "True"}) == "enabled"
    assert realtime_status({"scan:archive": "1"}) == "non-available"
