-- Staff notes may name people or their circumstances: with the personal-data keys configured they are stored sealed.
alter table handoff.notes alter column text drop not null;
alter table handoff.notes add column key_id text;
alter table handoff.notes add column sealed bytea;
alter table handoff.notes add constraint notes_one_form check ((text is null) <> (sealed is null));
