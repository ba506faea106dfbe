"""The worksheets under test: file name (as in the seeds folder) and the subject of each."""

WS000 = "000_3057f9ee4c919776.txt"
WS001 = "001_809f9477aa253dd3.txt"
WS002 = "002_f00dcf7b6a936c71.txt"
WS003 = "003_4df1c69f94983c45.txt"
WS004 = "004_4a4597d8ede4ad7d.txt"

# A new worksheet is added here first; claims citing an unlisted file are reported as malformed.
WORKSHEETS = {
    WS000: "Weight initialisation and skip-layer networks",
    WS001: "Forward/backward walkthrough and weight initialisation",
    WS002: "Homework: threshold MLP, sigmoid vs tanh, ReLU sparsity, backprop with a skip connection",
    WS003: "Exercises in backpropagation and the slow rate of descent",
    WS004: "Logistic regression and weight initialisation",
}
