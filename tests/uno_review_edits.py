"""Run by the system python3 (python3-uno), not by pytest: a reviewer's edits made by LibreOffice
itself, with change tracking on, in a built S1SR .docx, saved again as .docx.

usage: python3 uno_review_edits.py PIPE SOURCE.docx TARGET.docx

Edits (all recorded as LibreOffice tracked changes by "Lena Office"):
  * 18.4: "up to thirteen months" becomes "up to twelve months";
  * after 18.5b, a new paragraph "(ba)<tab>A Secure ESME …" (Enter at the end of 18.5b);
  * D.3 (a draft-only clause of Annex D) is deleted, paragraph mark and all.

(Comments are not made here: LibreOffice 7.4 headless crashes when a comment is inserted through
UNO into a hidden document; the python-docx tests cover Word's comments.)
"""

import os
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK  # type: ignore[import-not-found]

NEW_TEXT = "A Secure ESME returns reactive import Profile Data for the last three months only."


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(600):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.2)
    sys.exit("LibreOffice did not answer on the pipe")


def set_author(ctx, given, family):
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                  (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


def find(doc, text):
    sd = doc.createSearchDescriptor()
    sd.SearchString = text
    found = doc.findFirst(sd)
    if found is None:
        sys.exit(f"not found: {text}")
    return found


def main(pipe, src, dst):
    ctx = connect(pipe)
    set_author(ctx, "Lena", "Office")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                       (prop("Hidden", True),))
    text = doc.getText()
    doc.RecordChanges = True

    find(doc, "up to thirteen months").setString("up to twelve months")

    end_of_b = find(doc, "before it returns it in response to SRV 4.8.2.")
    cursor = text.createTextCursorByRange(end_of_b.getEnd())
    cursor.gotoEndOfParagraph(False)
    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    text.insertString(cursor, "(ba)\t" + NEW_TEXT, False)

    start = find(doc, "On an L&G E470 5394, which has no export register")
    cursor = text.createTextCursorByRange(start.getStart())
    cursor.gotoStartOfParagraph(False)
    cursor.gotoNextParagraph(True)  # the whole paragraph, its mark included
    cursor.setString("")

    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (prop("FilterName", "MS Word 2007 XML"),))
    doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
