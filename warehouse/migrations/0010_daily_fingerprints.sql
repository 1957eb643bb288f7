-- Raw fingerprints are kept per UTC day instead of per UTC week, so that a day of new data reaches
-- only the local weeks that read it. The rows of the old kind stay until the next build, which is
-- full (its models changed with this version) and replaces them. Documented in docs/data-model.md.
ALTER TABLE meta.build_fingerprints RENAME COLUMN week_start TO utc_day;
