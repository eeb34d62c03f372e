"""python -m zdesk"""

from zdesk.cli import main

raise SystemExit(main())
