"""Dashboard pages: each file is one Streamlit page, registered in dashboard/nav.py PAGES."""
