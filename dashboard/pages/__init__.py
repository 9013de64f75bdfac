"""Dashboard pages: each file is one Streamlit page, registered in dashboard/app.py PAGES."""
