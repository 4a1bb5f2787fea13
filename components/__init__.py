"""Streamlit pieces reused by pages: uploader, annotated image, findings, comparison slider."""
