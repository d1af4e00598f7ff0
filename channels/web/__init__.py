"""The bot's own small web server: files from the file store by signed, expiring links."""
