"""Papers with Code's archive (the public dump files left when it shut down in July 2025).

    values.parse_value("84.1%")        -> Parsed(84.1, "%", None)     the typed strings of its tables
    names.NameMapper(vocab, aliases)   -> its metric/dataset/task names onto the vocabulary
    importer.import_archive(files, db) -> one transaction: papers, archived results as claims, aliases

The readers of its four files are in `tracker/readers/pwc.py`; the SQL (tables `pwc_results`,
`pwc_aliases`, views `pwc_claims`, `pwc_diff`, `claim_conflicts`) in `tracker/store/sql/pwc_*.sql`.
"""
