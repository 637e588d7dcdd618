"""The console shell: layout, menu, grids, view and edit pages, dashboard, and the platform's own pages."""
