"""WordprocessingML helpers: elements, fields, bookmarks, tables and package bytes.

They know XML, not clauses: every function takes strings, numbers and lxml elements and
builds schema-ordered WordprocessingML with lxml (python-docx supplies the package, parts
and namespace map). Nothing here registers element classes with python-docx's parser.
"""
