"""The desk's application layer: what the window and the command line both ask for.

Sign-in and sessions, operators, enrolment, records (drafts, the queue, corrections,
duplicates), sending, slips, reports and this PC's settings, as Qt-free typed services
built once (:func:`pser_desk.desk.services.open_desk`) and described by the protocols of
:mod:`pser_desk.desk.protocol`. Results are the plain values of :mod:`.model`; failures
a person can act on are the typed errors of :mod:`.errors`.

This package file imports nothing: the sign-in window reads ``model`` before the store
(SQLAlchemy, the central client) is loaded.
"""
