"""Run by the system python3 (python3-uno), not by pytest: connect to a LibreOffice started with
``--accept=pipe,name=PIPE;urp;``, open a document, dispatch ``.uno:AcceptAllTrackedChanges``
or ``.uno:RejectAllTrackedChanges`` (or nothing, for ``none``) and save it as UTF-8 text.

usage: python3 uno_tracked_changes.py PIPE Accept|Reject|none SOURCE TARGET.txt
"""

import os
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def main(pipe, action, src, dst):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(600):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.2)
    else:
        sys.exit("LibreOffice did not answer on the pipe")
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    url = uno.systemPathToFileUrl(os.path.abspath(src))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    if action != "none":
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        frame = doc.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, f".uno:{action}AllTrackedChanges", "", 0, ())
    out = uno.systemPathToFileUrl(os.path.abspath(dst))
    doc.storeToURL(out, (prop("FilterName", "Text (encoded)"), prop("FilterOptions", "UTF8")))
    doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
