"""Entry point for ``spark-submit``, which runs a Python file, not a module::

    spark-submit --master yarn "$(python -m dedup.spark.submit)" scan --engine spark s3a://bucket/news/ ...

Run with Python (``python -m dedup.spark.submit``) it prints its own path;
run by spark-submit it is the ``dedup`` command, inside spark-submit's session.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # started by spark-submit
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the dedup this file belongs to
        from dedup.cli import main

        main()
    else:
        print(os.path.abspath(__file__))
        sys.exit(0)
