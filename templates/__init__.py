"""Every word mailbot sends, in Chinese and English, text and HTML (Jinja2).

A package only so that an installed mailbot finds these files beside it; see `mailbot.compose`.
"""
