"""Signed updates of the desk on The Update Framework (issue 17), without Qt.

- :mod:`~pser_desk.update.manifest`: a bundle folder as a list of files with their SHA-256;
- :mod:`~pser_desk.update.archive`, :mod:`~pser_desk.update.patch`: the full archive of a
  release and the patch from an earlier one, each rebuilt and checked file by file;
- :mod:`~pser_desk.update.keys`, :mod:`~pser_desk.update.publish`: the publisher's side
  (``pser-desk release ...``): the TUF repository, its roles, keys and expiry;
- :mod:`~pser_desk.update.fetch`, :mod:`~pser_desk.update.client`: the desk's side
  (``pser-desk update check|download``): TUF's client workflow from the ``root.json``
  shipped in the program, then a resumable download checked against the signed
  length and hashes; :mod:`~pser_desk.update.refusals` names the attack when TUF refuses;
- :mod:`~pser_desk.update.install`: staging, the new version's self-test, the swap and the
  way back (``pser-desk update apply``).
"""
