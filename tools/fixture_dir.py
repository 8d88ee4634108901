"""What the image fixture generators share: a fresh output folder, and the JSON index written last."""
import json
import os
import shutil


def fresh(out):
    """Empties `out` (creating it), so no file of an earlier run is left behind."""
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)


def finish(out, index_name, index):
    """Writes `index` as `out/index_name`; returns the total size in bytes of the files in `out`."""
    with open(os.path.join(out, index_name), 'w') as f:
        json.dump(index, f, indent=1)
    return sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
