"""The web application: server-rendered pages for the studio and a JSON API under /api/."""
