create schema if not exists kb;

-- A configured place documents come from: a folder or an HTTP URL.
create table kb.sources (
    id text primary key,
    kind text not null check (kind in ('folder', 'url')),
    location text not null,
    last_run_at timestamptz,
    last_status text,
    last_error text
);

-- One row per document of a source; a changed document gets a new version, a vanished one is marked removed.
create table kb.documents (
    id bigint generated always as identity primary key,
    source_id text not null references kb.sources (id),
    key text not null,
    title text not null,
    publisher text,
    url text,
    as_of date,
    fiscal_year integer,
    content_hash text not null,
    version integer not null,
    etag text,
    last_modified text,
    fetched_at timestamptz not null,
    updated_at timestamptz not null,
    removed_at timestamptz,
    unique (source_id, key)
);

create table kb.passages (
    id bigint generated always as identity primary key,
    document_id bigint not null references kb.documents (id) on delete cascade,
    ordinal integer not null,
    heading_path text[] not null,
    text text not null,
    start_offset integer not null,
    end_offset integer not null,
    unique (document_id, ordinal)
);

-- Bumped in every transaction that changes passages; hosts rebuild their search index when it moves.
create table kb.content_version (
    singleton boolean primary key default true check (singleton),
    version bigint not null,
    changed_at timestamptz not null
);
insert into kb.content_version (version, changed_at) values (0, now());

create table kb.refresh_runs (
    id bigint generated always as identity primary key,
    started_at timestamptz not null,
    finished_at timestamptz,
    added integer not null default 0,
    changed integer not null default 0,
    removed integer not null default 0,
    unchanged integer not null default 0,
    failed integer not null default 0,
    report jsonb not null default '[]'
);
