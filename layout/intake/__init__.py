"""Copy intake: reporters' files (.docx, .txt, .md) read into an issue as stories.

read.py reads a file into paragraphs (with Word's paragraph styles and embedded photos),
parts.py recognises the parts of a story (kicker, headline, deck, dateline, body, subheads,
caption and credit), clean.py cleans the copy to GB/T 15834 / 15835 with every change listed,
issuefile.py adds the stories to the issue file keeping its comments and order (and makes a
new issue from the last one), cli.py is `render.py import` and `render.py new`.
"""
