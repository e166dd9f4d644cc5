"""The institute: accounts with their roles and scopes, enrolled laptops, and trajecten kept as events."""
