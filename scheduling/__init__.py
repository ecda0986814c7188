"""Pure scheduling: calendar arithmetic, cadence, review slots and the iCalendar wire format.

Values and an explicit `now` in, values out: no sockets, no database, no clock.
"""
