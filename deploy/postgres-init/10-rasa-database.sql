-- Runs once, when the postgres container starts on an empty volume: the second database,
-- for Rasa's tracker store, owned by the same user as the app database.
CREATE DATABASE rasa OWNER doemee;
