"""Imported only inside multiprocessing's forkserver (a preload module): it dies with the load.

Why a module: the forkserver runs no code of ours except the modules it is told to preload, and it is
a child of the loading process, so this is where it can ask the kernel to end it with its parent
(see `tracker.lifetime`). Its extraction workers, its children, then die with it.
"""

from tracker.lifetime import die_with_parent

die_with_parent()
