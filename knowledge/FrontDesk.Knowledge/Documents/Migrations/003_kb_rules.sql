-- Validated rule files (school and childcare schemes, support programmes), one row per accepted change.
-- Every host uses the newest row; a refresh that finds a broken file adds nothing, so the last good set stays.
create table kb.rule_sets (
    id bigint generated always as identity primary key,
    content_hash text not null,
    files jsonb not null,
    created_at timestamptz not null
);
