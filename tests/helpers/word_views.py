"""Reading Word documents back in tests: the text of a .docx with its tracked changes accepted
or rejected (read from the XML here, independently of the writer), and the same done by
LibreOffice headless when it is installed.

LibreOffice is driven through its own Python bindings (``python3-uno``, which only the system
Python can import), in a child process with a private profile, so that tests running at once
never share a LibreOffice instance.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
View = Literal["accept", "reject", "as-is"]

SOFFICE = Path("/usr/bin/soffice")
SYSTEM_PYTHON = Path("/usr/bin/python3")

_INSERTED = {W + "ins", W + "moveTo"}
_DELETED = {W + "del", W + "moveFrom"}


def document_xml(data: bytes) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return ET.fromstring(archive.read("word/document.xml"))


def _shown(wrappers: list[str], view: View) -> bool:
    if view == "accept":
        return not any(w in _DELETED for w in wrappers)
    if view == "reject":
        return not any(w in _INSERTED for w in wrappers)
    return True


def _text(element: ET.Element, view: View, wrappers: list[str]) -> str:
    out: list[str] = []
    for child in element:
        tag = child.tag
        if tag in _INSERTED or tag in _DELETED:
            out.append(_text(child, view, [*wrappers, tag]))
        elif tag == W + "r":
            if not _shown(wrappers, view):
                continue
            for part in child:
                if part.tag in (W + "t", W + "delText"):
                    out.append(part.text or "")
                elif part.tag == W + "br" and part.get(W + "type") in (None, "textWrapping"):
                    out.append("\n")
                elif part.tag == W + "tab":
                    out.append("\t")
        elif tag in (W + "hyperlink", W + "smartTag", W + "fldSimple"):
            out.append(_text(child, view, wrappers))
    return "".join(out)


def _mark(paragraph: ET.Element) -> str | None:
    props = paragraph.find(f"{W}pPr/{W}rPr")
    if props is None:
        return None
    for child in props:
        if child.tag in _INSERTED or child.tag in _DELETED:
            return child.tag
    return None


def paragraphs(data: bytes, view: View) -> list[str]:
    """The body's paragraphs (tables aside) with every revision accepted or rejected: a
    paragraph whose mark goes away in that view joins the next one."""
    body = document_xml(data).find(W + "body")
    assert body is not None
    out: list[str] = []
    pending = ""
    for paragraph in body.iter(W + "p"):
        text = pending + _text(paragraph, view, [])
        mark = _mark(paragraph)
        gone = (view == "accept" and mark in _DELETED) or (view == "reject" and mark in _INSERTED)
        if gone:
            pending = text
            continue
        pending = ""
        out.append(text)
    if pending:
        out.append(pending)
    return out


def revisions(data: bytes) -> list[ET.Element]:
    """Every revision element of the body (insertions, deletions, moves, marks included)."""
    body = document_xml(data).find(W + "body")
    assert body is not None
    return [e for e in body.iter() if e.tag in _INSERTED or e.tag in _DELETED]


# -- LibreOffice ---------------------------------------------------------------------------------

_UNO_SCRIPT = r"""
import os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

source, view, target, profile = sys.argv[1:5]
pipe = "policytest%d" % os.getpid()
office = subprocess.Popen([
    "/usr/bin/soffice", "--headless", "--invisible", "--norestore", "--nologo",
    "--nodefault", "--nolockcheck", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
    "--accept=pipe,name=%s;urp;" % pipe,
], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    context = None
    for _ in range(300):
        try:
            context = resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.1)
    if context is None:
        sys.exit("LibreOffice did not start")
    manager = context.ServiceManager
    desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    if view != "as-is":
        dispatcher = manager.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", context)
        frame = document.getCurrentController().getFrame()
        command = ".uno:AcceptAllTrackedChanges" if view == "accept" else ".uno:RejectAllTrackedChanges"
        dispatcher.executeDispatch(frame, command, "", 0, ())
    document.storeToURL(uno.systemPathToFileUrl(target), (
        prop("FilterName", "Text (encoded)"), prop("FilterOptions", "UTF8,LF")))
    document.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        office.wait(60)
    except subprocess.TimeoutExpired:
        office.kill()
"""


def libreoffice_available() -> bool:
    """LibreOffice and its Python bindings (python3-uno) are installed."""
    if not SOFFICE.exists() or not SYSTEM_PYTHON.exists():
        return False
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, check=False, timeout=60
    )
    return probe.returncode == 0


def libreoffice_text(data: bytes, view: View) -> str:
    """The text LibreOffice writes for the document after accepting or rejecting every tracked
    change (its plain-text export: one line per paragraph, line breaks as line feeds)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "redline.docx"
        source.write_bytes(data)
        script = root / "view.py"
        script.write_text(_UNO_SCRIPT, encoding="utf-8")
        target = root / "out.txt"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["HOME"] = str(root)
        done = subprocess.run(
            [str(SYSTEM_PYTHON), str(script), str(source), view, str(target), str(root / "p")],
            capture_output=True,
            check=False,
            timeout=300,
            env=env,
        )
        if done.returncode != 0 or not target.exists():
            sys.stderr.write(done.stderr.decode("utf-8", "replace"))
            raise AssertionError(f"LibreOffice failed ({done.returncode})")
        text = target.read_text(encoding="utf-8-sig")
        shutil.rmtree(root / "p", ignore_errors=True)
        return text
