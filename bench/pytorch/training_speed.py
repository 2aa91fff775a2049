"""PyTorch side of bench/training-vs-pytorch.sh: the same networks as the project builds them (ModelZoo,
ResidualNetworks), the same initialisation scheme (DL4J's RELU init: N(0, 2/fan_in) for hidden layers, XAVIER:
N(0, 2/(fan_in+fan_out)) for the output layer, zero biases), Adam at 1e-3 (the batch-normalised ResNet: SGD with
Nesterov momentum 0.9 at 0.05, weight decay 5e-4 as an L2 term), softmax cross-entropy, over one epoch's batches
of the same Fashion-MNIST files; prints one RESULT line like TrainingSpeedBench."""
import argparse
import gzip
import math
import os
import time

import numpy as np
import torch
from torch import nn


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def dl4j_init(module, output):
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            fan_in = m.weight[0].numel()
            fan_out = m.weight.shape[0] * (m.weight[0, 0].numel() if m.weight.dim() == 4 else 1)
            std = math.sqrt(2.0 / (fan_in + fan_out)) if m is output else math.sqrt(2.0 / fan_in)
            nn.init.normal_(m.weight, 0.0, std)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return module


def mlp(*hidden):
    layers, width = [], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    out = nn.Linear(width, 10)
    return dl4j_init(nn.Sequential(*layers, out), out)


def cnn():
    out = nn.Linear(128, 10)
    net = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                        nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
                        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
                        nn.Flatten(), nn.Linear(32 * 4 * 4, 128), nn.ReLU(), out)
    return dl4j_init(net, out)


def conv(cin, cout, kernel, stride, bn):
    """A convolution as ResidualNetworks adds it: with a bias, or without one and then batch normalisation."""
    c = nn.Conv2d(cin, cout, kernel, stride, kernel // 2, bias=not bn)
    return nn.Sequential(c, nn.BatchNorm2d(cout)) if bn else c


class Block(nn.Module):
    def __init__(self, cin, cout, stride, bn):
        super().__init__()
        self.conv1 = conv(cin, cout, 3, stride, bn)
        self.conv2 = conv(cout, cout, 3, 1, bn)
        self.proj = conv(cin, cout, 1, stride, bn) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.conv2(torch.relu(self.conv1(x)))
        return torch.relu(y + (self.proj(x) if self.proj is not None else x))


def resnet(widths=(16, 32, 64), bn=False):
    out = nn.Linear(widths[-1], 10)
    layers, cin = [nn.Unflatten(1, (1, 28, 28)), conv(1, widths[0], 3, 1, bn), nn.ReLU()], widths[0]
    for k, w in enumerate(widths):
        layers.append(Block(cin, w, 2 if k > 0 else 1, bn))
        cin = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), out]
    return dl4j_init(nn.Sequential(*layers), out)


NETWORKS = {"mlp64": (lambda: mlp(64), 64), "mlp800": (lambda: mlp(800, 800), 128), "cnn": (cnn, 128),
            "resnet": (resnet, 64), "resnet-bn": (lambda: resnet(bn=True), 64), "teacher-inference": (cnn, 256)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--network", required=True, choices=sorted(NETWORKS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--data-dir", default=os.environ.get("DM_DATA_DIR", "/usr/share/datasets/fashion-mnist"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    build, batch = NETWORKS[args.network]
    images = idx(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz")).reshape(-1, 784)
    labels = idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    order = np.random.default_rng(42).permutation(len(labels))
    x = torch.from_numpy(images[order].astype(np.float32) / 255.0)
    y = torch.from_numpy(labels[order])
    batches = [(x[i:i + batch].contiguous(), y[i:i + batch].contiguous())
               for i in range(0, len(y) - batch + 1, batch)]
    net = build()
    if args.network == "teacher-inference":
        net.eval()

        def step(xb, yb):
            with torch.no_grad():
                net(xb)
    else:
        optimizer = (torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
                     if args.network == "resnet-bn" else torch.optim.Adam(net.parameters(), lr=1e-3))
        loss = nn.CrossEntropyLoss()

        def step(xb, yb):
            optimizer.zero_grad(set_to_none=True)
            loss(net(xb), yb).backward()
            optimizer.step()

    def run(seconds):
        end, samples, i = time.perf_counter() + seconds, 0, 0
        while time.perf_counter() < end:
            xb, yb = batches[i]
            step(xb, yb)
            samples += len(yb)
            i = (i + 1) % len(batches)
        return samples

    run(args.warmup)
    start = time.perf_counter()
    samples = run(args.seconds)
    elapsed = time.perf_counter() - start
    print(f'RESULT network={args.network} arm=pytorch threads={args.threads} path="pytorch {torch.__version__}" '
          f'samples_per_s={samples / elapsed:.1f}')


if __name__ == "__main__":
    main()
