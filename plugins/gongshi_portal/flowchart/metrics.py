"""Every size the drawing uses, in SVG user units (the viewBox is drawn 1:1 up to the width of the
page), and the widths labels are wrapped at, in em."""

from __future__ import annotations

# Text.
FONT = 14.0  # node labels
LINE_H = 19.0
TIME_FONT = 12.0  # the time limit under a label
TIME_LINE_H = 16.0
EDGE_FONT = 12.0  # 是/否 on the lines
EDGE_LINE_H = 15.0
LABEL_EM = 8.0  # widest label line: 8 CJK characters
TIME_EM = 11.0
EDGE_EM = 6.0
BASELINE = 0.36  # from the middle of a line to its baseline, in em

# Boxes and spacing.
PAD_X = 12.0
PAD_Y = 9.0
MIN_W = 84.0
XSPACE = 32.0  # between neighbours in a layer
YSPACE = 52.0  # between layers: room for a bend, an arrow and a 是/否
COMP_GAP = 48.0  # between parts not connected to each other
MARGIN = 12.0
DUMMY_W = 16.0  # the lane a line takes through a layer it crosses
DUMMY_H = 16.0
LANE = 10.0  # between parallel lines sharing a lane
PORT_GAP = 14.0  # between lines leaving or entering the same side of a box
EXIT_STUB = 6.0
ENTRY_STUB = 14.0  # straight run into a box, so arrows point the way the flow goes
ARROW = 10.0  # arrowhead length
ARROW_INSET = 3.0  # the line stops short of the box, the arrow's tip reaches it
LOOP_OUT = 34.0  # how far a node's line to itself bulges out
WIDTH_STEP = 80.0  # the width classes fc-w1 … fc-w14 (5rem each)
WIDTH_STEPS = 14
