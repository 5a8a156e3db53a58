"""Moving a conversation between laptops in a partnership: files another appreciate reads back.

    bundle.py   the conversation bundle: one conversation, complete (every row with its id and
                timestamps, earlier versions, the record of what was shared), as versioned JSON.
                `build`/`dumps` write one; `read`/`loads`/`validate` check a file against this
                database's schema before anything is stored; `merge_bundles` adds checked bundles
                in one transaction through `Store.merge_bundles` (the rules themselves are in
                store/merge.py: newer wins, conflicts keep both wordings, nothing erased comes
                back) and names the file a refused row came from.
    sealed.py   the sealed file: a bundle compressed and encrypted with a passphrase (Argon2id,
                AES-256-GCM), for a conversation that leaves the laptop.

A bundle is not a report: reports/ writes documents for people to read; exchange/ writes data for
appreciate to import. The export form offers both: appreciate_tui/export.py, above the two, hands a
bundle request to `bundle.build`/`sealed.seal` and records the share as for any export. A bundle is
redacted by the same rules as a document (appreciate_tui/redaction.py, applied to its rows by
store/redaction.py).
"""
