"""Where the ledger lives: tables in the store's own database (SQLite or PostgreSQL).

``interface`` is the transaction contract both backends meet, ``schema`` the ledger's tables,
``sql`` the append, read and checkpoint operations on them.
"""
