"""Make the repository importable and runnable as the collection ``armadito.fleet``.

Both test suites call :func:`stage` from their conftest: it links a temporary
``ansible_collections/armadito/fleet`` to the repository root, puts it on ``sys.path`` and
installs Ansible's collection finder on it (pytest-ansible may have installed one on other
paths, and two finders disagree about the collection's metadata). The integration tests also
give the same root to ``ansible`` as ANSIBLE_COLLECTIONS_PATH.
"""

from __future__ import annotations

import os
import sys
import tempfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stage():
    """The collections root that holds ``ansible_collections/armadito/fleet``."""
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    root = tempfile.mkdtemp(prefix="armadito-collections-")
    namespace = os.path.join(root, "ansible_collections", "armadito")
    os.makedirs(namespace)
    os.symlink(REPO_ROOT, os.path.join(namespace, "fleet"))
    sys.path.insert(0, root)
    _AnsibleCollectionFinder(paths=[root], scan_sys_paths=False)._install()
    return root
