"""The 3D view widget: one frame per paint, anti-aliasing chosen for the OpenGL renderer."""

import pytest
import pyvista as pv

from twin_app.qt.interactor import (
    ANTI_ALIASING_ENV,
    GPU_MULTI_SAMPLES,
    SceneInteractor,
    choose_anti_aliasing,
    renderer_string,
)

REPORT = """OpenGL vendor string:  Mesa/X.org
OpenGL renderer string:  llvmpipe (LLVM 15.0.6, 256 bits)
OpenGL version string:  4.5 (Core Profile) Mesa 22.3.6"""


def test_the_renderer_line_is_read_from_vtks_report():
    assert renderer_string(REPORT) == "llvmpipe (LLVM 15.0.6, 256 bits)"
    assert renderer_string("no OpenGL here") == ""


@pytest.mark.parametrize(("renderer", "requested", "expected"), [
    ("llvmpipe (LLVM 15.0.6, 256 bits)", None, "fxaa"),
    ("SwiftShader Device (Subzero)", "auto", "fxaa"),
    ("NVIDIA GeForce RTX 4070/PCIe/SSE2", None, "msaa"),
    ("Mesa Intel(R) UHD Graphics 630 (CFL GT2)", None, "msaa"),
    ("", None, "fxaa"),  # unknown: the cheap choice
    ("llvmpipe (LLVM 15.0.6, 256 bits)", "MSAA", "msaa"),
    ("NVIDIA GeForce RTX 4070/PCIe/SSE2", "none", "none"),
])
def test_anti_aliasing_follows_the_renderer_unless_asked(renderer, requested, expected):
    assert choose_anti_aliasing(renderer, requested) == expected


def test_an_unknown_request_names_the_variable_and_the_choices():
    with pytest.raises(ValueError, match=f"{ANTI_ALIASING_ENV}='ssao'.*auto, msaa, fxaa, none"):
        choose_anti_aliasing("llvmpipe", "ssao")


def _shown(qtbot) -> SceneInteractor:
    view = SceneInteractor()
    qtbot.addWidget(view)
    view.resize(320, 240)
    view.show()
    qtbot.waitExposed(view)
    view.add_mesh(pv.Sphere())
    view.render()
    qtbot.waitUntil(lambda: view.anti_aliasing is not None, timeout=10_000)
    return view


@pytest.mark.gui
@pytest.mark.needs_rendering
def test_on_this_software_renderer_the_view_uses_fxaa_not_multisampling(qtbot, monkeypatch):
    monkeypatch.delenv(ANTI_ALIASING_ENV, raising=False)
    view = _shown(qtbot)
    renderer = renderer_string(view.ren_win.ReportCapabilities())
    if "llvmpipe" not in renderer:
        pytest.skip(f"this check is for Mesa's llvmpipe; the renderer here is {renderer!r}")
    assert view.anti_aliasing == "fxaa"
    assert view.ren_win.GetMultiSamples() == 0
    assert view.renderer.GetUseFXAA()
    frames = view.frames
    view.render()
    qtbot.waitUntil(lambda: view.frames > frames, timeout=10_000)
    view.close()


@pytest.mark.gui
@pytest.mark.needs_rendering
def test_the_environment_can_ask_for_multisampling(qtbot, monkeypatch):
    monkeypatch.setenv(ANTI_ALIASING_ENV, "msaa")
    view = _shown(qtbot)
    assert view.anti_aliasing == "msaa"
    assert view.ren_win.GetMultiSamples() == GPU_MULTI_SAMPLES
    assert not view.renderer.GetUseFXAA()
    view.close()


@pytest.mark.gui
@pytest.mark.needs_rendering
def test_an_interaction_costs_one_frame_not_two(qtbot):
    """VTK's styles call the interactor's Render() on each mouse move: that must ask for one
    paint (one frame), not draw at once and then again in the paint."""
    view = _shown(qtbot)
    renders = []
    tag = view.ren_win.AddObserver("EndEvent", lambda *_: renders.append(1))
    try:
        qtbot.wait(200)
        renders.clear()
        frames = view.frames
        for _ in range(3):  # what an orbit step does
            view.camera.azimuth += 5.0
            view.ren_win.GetInteractor().Render()
        assert renders == []  # nothing drawn outside a paint
        qtbot.waitUntil(lambda: view.frames > frames, timeout=10_000)
        qtbot.wait(200)
        assert view.frames - frames == 1 and len(renders) == 1  # three requests, one frame
    finally:
        view.ren_win.RemoveObserver(tag)
        view.close()
