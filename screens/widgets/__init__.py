"""Widgets of the route map: role boxes, route columns, and the detail and standing panels."""
