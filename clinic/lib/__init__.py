"""Small helpers every app may use: plain functions, no app imports (as healthchecks keeps
hc/lib). Dates in `dates`, display formatting in `display`, admin mixins in `admin`."""
