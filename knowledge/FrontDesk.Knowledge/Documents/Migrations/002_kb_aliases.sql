-- Front matter aliases (other names and common misspellings) are searched with the title.
alter table kb.documents add column aliases text[];

-- Documents stored before this column existed are read again on the next refresh, so their
-- aliases are filled in although their bytes did not change.
update kb.documents set content_hash = '';
