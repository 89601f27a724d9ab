"""Every picture, drawn from plain numbers (lists, NumPy arrays, result dataclasses) as PNG bytes.

One module per picture, named by what it draws; `style` holds sizes, colours and the PNG encoder,
`fonts` the Devanagari font and the language a picture's labels are drawn in.
"""
