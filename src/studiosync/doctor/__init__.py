"""The troubleshooter: checks over a studio's Google Sync setup and the catalogue of error texts."""
