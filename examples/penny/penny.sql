-- The Penny book search: schema and seed data. The same SQL runs on node:sqlite and on Cloudflare D1.
CREATE TABLE IF NOT EXISTS books (
  isbn   TEXT PRIMARY KEY,
  author TEXT NOT NULL,
  title  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS books_author ON books (author);
INSERT OR IGNORE INTO books (isbn, author, title) VALUES
  ('9780141439518', 'Austen, Jane', 'Pride and Prejudice'),
  ('9780141439662', 'Austen, Jane', 'Sense and Sensibility'),
  ('9780141439587', 'Austen, Jane', 'Emma'),
  ('9780141439600', 'Dickens, Charles', 'A Tale of Two Cities'),
  ('9780141439563', 'Dickens, Charles', 'Great Expectations'),
  ('9780141439747', 'Eliot, George', 'Middlemarch'),
  ('9780141439556', 'Brontë, Emily', 'Wuthering Heights'),
  ('9780141441146', 'Brontë, Charlotte', 'Jane Eyre'),
  ('9780140449136', 'Dostoevsky, Fyodor', 'Crime and Punishment'),
  ('9780140447934', 'Tolstoy, Leo', 'War and Peace'),
  ('9780141182803', 'Orwell, George', 'Nineteen Eighty-Four'),
  ('9780141036137', 'Orwell, George', 'Animal Farm'),
  ('9780743273565', 'Fitzgerald, F. Scott', 'The Great Gatsby'),
  ('9780486284736', 'Shelley, Mary', 'Frankenstein'),
  ('9780199535569', 'Wilde, Oscar', 'The Picture of Dorian Gray'),
  ('9780000000001', 'O''Brien, Flann', 'The Third Policeman'),
  ('9780000000002', '<Script> & "Quotes"', 'A Title With <b>Markup</b> & ''Apostrophes''');
