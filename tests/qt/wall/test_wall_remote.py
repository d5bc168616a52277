"""The wall driven over real HTTP on loopback, with the token, as a keyboard-free remote would."""

import pytest
from qtpy.QtCore import QRect

from tests.qt.wall.wall_helpers import TOKEN, call_in_thread, layout_with, mini_scene_with_event
from twin_app.core.errors import InputError
from twin_app.qt.wall.app import start_remote
from twin_app.qt.wall.window import WallWindow

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]


@pytest.fixture
def wall(qtbot, tmp_path):
    window = WallWindow(layout_with(interval_s=3600), language="en", height=1080)
    qtbot.addWidget(window)
    window.place(QRect(0, 0, 1920, 1080), full_screen=False)
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.scene_shown, timeout=60_000):
        window.open_scene(str(mini_scene_with_event(tmp_path)))
    remote = start_remote(window, "127.0.0.1:0", TOKEN)
    assert remote.url.startswith("http://127.0.0.1:")
    yield window
    window.close()


def request(qtbot, wall, method, path, token=TOKEN, body=None):
    future = call_in_thread(f"{wall.remote.url}{path}", method, token, body)
    qtbot.waitUntil(future.done, timeout=20_000)  # the GUI thread runs the command meanwhile
    return future.result()


def status_when(qtbot, wall, predicate, timeout_s=10.0):
    """Poll ``/status`` (a snapshot published every second) until ``predicate`` holds."""
    found = {}

    def check():
        status, answer = request(qtbot, wall, "GET", "/status")
        assert status == 200
        found.update(answer["result"])
        return bool(predicate(answer["result"]))

    qtbot.waitUntil(check, timeout=round(timeout_s * 1000))
    return found


def test_status_over_http(qtbot, wall):
    status, answer = request(qtbot, wall, "GET", "/status")
    assert status == 200 and answer["ok"]
    result = answer["result"]
    assert result["scene"] == "mini"
    assert result["tour"]["viewpoint"] == "overview" and result["tour"]["count"] == 2
    assert result["viewpoints"] == ["overview", "top"]
    assert result["window"] == {"x": 0, "y": 0, "width": 1920, "height": 1080}
    assert result["alarms"] == {"active": 0, "unacknowledged": 0, "list": []}
    assert result["clock"]["mode"] == "live"
    assert 0 <= result["age_s"] < 5  # the snapshot is at most a second or two old


def test_wrong_token_is_refused_and_changes_nothing(qtbot, wall):
    for token in ("not-the-token", None):
        status, answer = request(qtbot, wall, "POST", "/viewpoint/next", token=token)
        assert status == 401 and not answer["ok"]
    assert wall.tour.status()["viewpoint"] == "overview"
    assert wall.remote.server.refused == 2


def test_next_previous_goto_and_pause_over_http(qtbot, wall):
    assert request(qtbot, wall, "POST", "/viewpoint/next")[1]["result"] == {"viewpoint": "top"}
    assert wall.scene_tile.viewpoint.id == "top"
    assert request(qtbot, wall, "POST", "/viewpoint/previous")[1]["result"]["viewpoint"] == \
        "overview"
    assert request(qtbot, wall, "POST", "/viewpoint/top")[1]["result"]["viewpoint"] == "top"
    status, answer = request(qtbot, wall, "POST", "/viewpoint/nowhere")
    assert status == 404 and "available: overview, top" in answer["error"]
    assert request(qtbot, wall, "POST", "/tour/pause")[1]["result"]["paused"] is True
    assert wall.tour.paused
    assert request(qtbot, wall, "POST", "/tour/resume")[1]["result"]["paused"] is False


def test_replay_and_acknowledge_over_http(qtbot, wall):
    status, answer = request(qtbot, wall, "POST", "/replay/rise?speed=20000")
    assert status == 200 and answer["result"]["event"] == "rise"
    assert request(qtbot, wall, "POST", "/replay/storm")[0] == 404
    qtbot.waitUntil(lambda: bool(wall.session.engine.active()), timeout=20_000)
    listed = status_when(qtbot, wall, lambda s: s["alarms"]["list"])["alarms"]["list"]
    assert [a["key"] for a in listed] == ["WL-1/warning"]
    assert listed[0]["state"] == "unacknowledged"
    status, answer = request(qtbot, wall, "POST", "/alarms/acknowledge",
                             body=b'{"key": "WL-1/warning", "user": "duty officer"}')
    assert status == 200 and answer["result"] == {"acknowledged": ["WL-1/warning"]}
    assert wall.session.engine.status("WL-1/warning").user == "duty officer"
    status, answer = request(qtbot, wall, "POST", "/alarms/acknowledge?key=WL-1/warning")
    assert status == 409  # already acknowledged
    assert request(qtbot, wall, "POST", "/alarms/acknowledge?key=XX/y")[0] == 404
    assert request(qtbot, wall, "POST", "/alarms/acknowledge")[0] == 400
    status, answer = request(qtbot, wall, "POST", "/alarms/acknowledge?all=true")
    assert status == 200 and "WL-1/warning" not in answer["result"]["acknowledged"]
    assert not [s for s in wall.session.engine.active() if s.state.value == "unacknowledged"]


def test_switch_scene_over_http(qtbot, wall):
    assert request(qtbot, wall, "POST", "/scene/atlantis")[0] == 404
    with qtbot.waitSignal(wall.scene_shown, timeout=60_000) as shown:
        status, answer = request(qtbot, wall, "POST", "/scene/suzhou_west_gate")
        assert status == 200 and answer["result"] == {"loading": "suzhou_west_gate"}
    assert shown.args == ["suzhou_west_gate"]
    status_when(qtbot, wall, lambda s: s["scene"] == "suzhou_west_gate")
    with qtbot.waitSignal(wall.scene_shown, timeout=60_000):
        request(qtbot, wall, "POST", "/scene/mini")  # a scene opened from a folder before
    assert wall.workspace.document.spec.id == "mini"


def test_closing_the_wall_stops_the_api(qtbot, wall):
    url = wall.remote.url
    wall.close()
    future = call_in_thread(f"{url}/status")
    qtbot.waitUntil(future.done, timeout=20_000)
    with pytest.raises(OSError):
        future.result()


def test_a_public_address_needs_a_token(wall):
    with pytest.raises(InputError, match="needs a token"):
        start_remote(wall, "0.0.0.0:0", None)
