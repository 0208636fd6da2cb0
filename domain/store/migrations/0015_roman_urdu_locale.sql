-- Roman Urdu (Urdu in Latin letters, as most people in Pakistan chat) as an account language.
ALTER TABLE app.users DROP CONSTRAINT IF EXISTS users_locale_check;
ALTER TABLE app.users ADD CONSTRAINT users_locale_check CHECK (locale IN ('en', 'ur', 'ur-Latn'));
