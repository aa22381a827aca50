"""The staff console: an aiohttp sub-application under /console/ (console.app.setup), its
access rules (console.rbac, console.auth, console.security, console.sessions), the helpers
views share (console.web) and the views themselves (console/views/*)."""
