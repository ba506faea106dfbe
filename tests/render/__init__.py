"""The render check's helpers: GitHub-flavoured markdown to HTML with GitHub's math, typeset in chromium."""
