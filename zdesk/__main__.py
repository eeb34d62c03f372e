"""python -m zdesk"""

from zdesk.cli import program

program()
