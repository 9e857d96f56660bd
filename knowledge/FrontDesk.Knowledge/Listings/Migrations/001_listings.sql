create schema if not exists listings;

-- One row per listing per source. A listing that vanishes from a full feed is closed (vanished_at), never deleted.
create table listings.listings (
    id bigint generated always as identity primary key,
    source text not null,
    source_id text not null,
    deal text not null check (deal in ('sale', 'rent')),
    kind text not null check (kind in ('residential', 'land', 'business')),
    prefecture text not null,
    municipality text not null,
    -- null means 応談 / undisclosed
    price_yen bigint check (price_yen > 0),
    rent_yen integer check (rent_yen > 0),
    layout text,
    rooms smallint,
    floor_area_m2 numeric(10, 2),
    lot_area_m2 numeric(12, 2),
    year_built smallint,
    structure text,
    train_line text,
    station text,
    walk_minutes smallint,
    station_distance text,
    farmland boolean,
    shop_space boolean,
    parking boolean,
    garden boolean,
    pets boolean,
    photos text[] not null default '{}',
    pr_text text,
    status text not null check (status in ('open', 'negotiating', 'closed')),
    source_url text,
    as_of date not null,
    licence text,
    attribution text,
    synthetic boolean not null default false,
    content_hash text not null,
    first_seen_at timestamptz not null,
    updated_at timestamptz not null,
    vanished_at timestamptz,
    unique (source, source_id)
);

create index listings_place on listings.listings (prefecture, municipality, as_of desc, id desc) where status <> 'closed';
-- Newest first with every filter column included: a search walks this narrow index (index-only where the visibility
-- map allows) and touches the wide rows only for the page it shows.
create index listings_recent on listings.listings (as_of desc, id desc)
    include (prefecture, municipality, deal, kind, price_yen, rent_yen, rooms, year_built, walk_minutes,
             farmland, shop_space, parking, garden, pets)
    where status <> 'closed';

create table listings.import_runs (
    id bigint generated always as identity primary key,
    feed text not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    added integer not null default 0,
    updated integer not null default 0,
    unchanged integer not null default 0,
    closed integer not null default 0,
    rejected integer not null default 0,
    error text,
    report jsonb
);
