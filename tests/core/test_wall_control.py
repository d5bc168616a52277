"""The wall's control API without Qt: routing, the command queue, and real HTTP on loopback."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from twin_app.core.errors import InputError
from twin_app.core.wall_control import (
    TOKEN_ENV,
    CommandQueue,
    ControlError,
    WallCommand,
    parse_address,
    resolve_token,
    route,
)
from twin_app.core.wall_http import WallControlServer

TOKEN = "s3cret-token-for-tests"


# -- routing --------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "target", "name", "args"), [
    ("GET", "/status", "status", {}),
    ("POST", "/viewpoint/next", "next", {}),
    ("POST", "/viewpoint/previous/", "previous", {}),
    ("POST", "/viewpoint/hub_closeup", "goto", {"viewpoint": "hub_closeup"}),
    ("POST", "/tour/pause", "pause", {}),
    ("POST", "/tour/resume", "resume", {}),
    ("POST", "/scene/huangpu", "scene", {"scene": "huangpu"}),
    ("POST", "/alarms/acknowledge?key=XCS-WL-01/warning", "acknowledge",
     {"key": "XCS-WL-01/warning"}),
    ("POST", "/replay/typhoon?speed=3600&loop=true", "replay",
     {"event": "typhoon", "speed": "3600", "loop": "true"}),
    ("POST", "/rehearsal/start", "rehearse", {}),
    ("POST", "/rehearsal/start?scenario=design_tide_1000yr", "rehearse",
     {"scenario": "design_tide_1000yr"}),
])
def test_route_maps_paths_to_commands(method, target, name, args):
    assert route(method, target) == WallCommand(name, args)


def test_route_takes_parameters_from_a_json_or_form_body():
    assert route("POST", "/alarms/acknowledge", b'{"all": true, "user": "duty"}').args == {
        "all": "true", "user": "duty"}
    assert route("POST", "/alarms/acknowledge", b"key=A%2Fb").args == {"key": "A/b"}


def test_route_decodes_escaped_path_segments():
    assert route("POST", "/viewpoint/%E5%85%A8%E6%99%AF").args["viewpoint"] == "全景"


@pytest.mark.parametrize(("method", "target", "body", "status"), [
    ("GET", "/nothing", b"", 404),
    ("POST", "/status", b"", 405),
    ("GET", "/viewpoint/next", b"", 405),
    ("POST", "/alarms/acknowledge", b"{not json", 400),
    ("POST", "/alarms/acknowledge", b"[1, 2]", 400),
])
def test_route_refuses_what_it_does_not_know(method, target, body, status):
    with pytest.raises(ControlError) as caught:
        route(method, target, body)
    assert caught.value.status == status


# -- addresses and tokens -------------------------------------------------------------------


def test_parse_address():
    assert parse_address("127.0.0.1:8765") == ("127.0.0.1", 8765)
    assert parse_address(":0") == ("127.0.0.1", 0)
    assert parse_address("9000") == ("127.0.0.1", 9000)
    assert parse_address("[::1]:9000") == ("::1", 9000)
    with pytest.raises(InputError):
        parse_address("localhost:http")


def test_token_is_given_from_the_environment_or_generated_on_loopback_only():
    assert resolve_token("abcdefgh", "0.0.0.0", {}) == ("abcdefgh", False)
    assert resolve_token(None, "127.0.0.1", {TOKEN_ENV: "from-env-123"}) == ("from-env-123",
                                                                             False)
    token, generated = resolve_token(None, "127.0.0.1", {})
    assert generated and len(token) >= 20
    with pytest.raises(InputError, match="needs a token"):
        resolve_token(None, "0.0.0.0", {})
    with pytest.raises(InputError, match="shorter than 8"):
        resolve_token("short", "127.0.0.1", {})


# -- the queue ------------------------------------------------------------------------------


def test_queue_runs_commands_on_the_owning_thread_and_returns_their_results():
    woken = threading.Event()
    commands = CommandQueue(notify=woken.set)
    answers = []
    caller = threading.Thread(target=lambda: answers.append(
        commands.submit(WallCommand("status"), timeout_s=5)))
    caller.start()
    assert woken.wait(5)
    ran_on = []

    def execute(command):
        ran_on.append(threading.current_thread())
        return {"name": command.name}

    while caller.is_alive():
        commands.run_pending(execute)
        caller.join(0.01)
    assert answers == [{"name": "status"}]
    assert ran_on == [threading.main_thread()]


def test_queue_times_out_when_nobody_runs_the_commands():
    commands = CommandQueue()
    with pytest.raises(ControlError) as caught:
        commands.submit(WallCommand("next"), timeout_s=0.05)
    assert caught.value.status == 503
    assert commands.run_pending(lambda c: {}) == 0  # the abandoned command is skipped


def test_closed_queue_refuses_commands():
    commands = CommandQueue()
    commands.close()
    with pytest.raises(ControlError, match="closing"):
        commands.submit(WallCommand("next"))


# -- real HTTP on loopback ------------------------------------------------------------------


class FakeWall:
    """Stands in for the GUI thread: runs queued commands in a loop."""

    def __init__(self, commands: CommandQueue) -> None:
        self.commands = commands
        self.viewpoints = ["overview", "hub_closeup"]
        self.index = 0
        self.paused = False
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self) -> None:
        while not self.stop.is_set():
            self.commands.run_pending(self.execute)
            self.stop.wait(0.01)

    def execute(self, command: WallCommand) -> dict:
        if command.name == "status":
            return {"viewpoint": self.viewpoints[self.index], "paused": self.paused}
        if command.name == "next":
            self.index = (self.index + 1) % len(self.viewpoints)
            return {"viewpoint": self.viewpoints[self.index]}
        if command.name == "goto":
            if command.args["viewpoint"] not in self.viewpoints:
                raise ControlError(404, f"no viewpoint {command.args['viewpoint']!r}")
            self.index = self.viewpoints.index(command.args["viewpoint"])
            return {"viewpoint": self.viewpoints[self.index]}
        if command.name == "pause":
            self.paused = True
            return {"paused": True}
        raise RuntimeError("boom")


@pytest.fixture
def served():
    commands = CommandQueue()
    server = WallControlServer(commands, TOKEN, "127.0.0.1", 0)
    wall = FakeWall(commands)
    wall.thread.start()
    server.start()
    yield server, wall
    server.stop()
    wall.stop.set()
    wall.thread.join(5)


def call(server, method, path, token=TOKEN, body=None, header="Authorization"):
    request = urllib.request.Request(f"{server.url}{path}", method=method, data=body)
    if token is not None:
        request.add_header(header, f"Bearer {token}" if header == "Authorization" else token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def test_http_status_and_commands_with_the_token(served):
    server, wall = served
    assert server.address[0] == "127.0.0.1" and server.address[1] > 0
    status, answer, headers = call(server, "GET", "/status")
    assert status == 200
    assert answer == {"ok": True, "command": "status",
                      "result": {"viewpoint": "overview", "paused": False}}
    assert headers["Content-Type"].startswith("application/json")
    assert call(server, "POST", "/viewpoint/next")[1]["result"] == {"viewpoint": "hub_closeup"}
    status, answer, _ = call(server, "POST", "/tour/pause", token=TOKEN, header="X-Wall-Token")
    assert status == 200 and wall.paused


def test_http_wrong_or_missing_token_is_401_and_nothing_runs(served):
    server, wall = served
    for token in ("wrong-token-xyz", None, ""):
        status, answer, headers = call(server, "POST", "/viewpoint/next", token=token)
        assert status == 401
        assert answer["ok"] is False and "token" in answer["error"]
        assert headers["WWW-Authenticate"].startswith("Bearer")
    assert wall.index == 0
    assert server.refused == 3


def test_http_errors_carry_their_status(served):
    server, _ = served
    assert call(server, "POST", "/viewpoint/nowhere")[0] == 404
    assert call(server, "GET", "/viewpoint/next")[0] == 405
    assert call(server, "POST", "/nothing/here")[0] == 404
    status, answer, _ = call(server, "POST", "/scene/x")  # the fake raises RuntimeError
    assert status == 500 and "boom" in answer["error"]
    status, _, _ = call(server, "POST", "/tour/pause", body=b"x" * 20_000)
    assert status == 413


def test_http_server_stops_and_frees_its_port():
    commands = CommandQueue()
    server = WallControlServer(commands, TOKEN, "127.0.0.1", 0)
    host, port = server.start()
    server.stop()
    again = WallControlServer(CommandQueue(), TOKEN, host, port)
    again.start()  # the port is free again
    again.stop()


def test_server_needs_a_token():
    with pytest.raises(InputError):
        WallControlServer(CommandQueue(), "")
