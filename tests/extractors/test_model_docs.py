"""Round-3 rows: sentences of the shape found in model documentation (vision, NLP, speech, diffusion, pose).

Every sentence is written from memory of the paper's abstract (source = the paper's name), not copied; each row
asserts only the fields the rule is about. Values: (value, metric, kind, dataset, task); None skips a field.
"""

from __future__ import annotations

import pytest

from extractors import extract_claims
from tracker.models import Paper

ROWS = [
    # source, title, sentence, expected claims
    ("Swin Transformer", "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
     "including image classification (87.3 top-1 accuracy on ImageNet-1K) and dense prediction tasks such as object detection "
     "(58.7 box AP and 51.1 mask AP on COCO test-dev) and semantic segmentation (53.5 mIoU on ADE20K val).",
     [(87.3, "top1_accuracy", "absolute", "ImageNet-1K", "image_classification"), (58.7, "box_ap", "absolute", "COCO", "object_detection"),
      (51.1, "mask_ap", "absolute", "COCO", "instance_segmentation"), (53.5, "miou", "absolute", "ADE20K", "semantic_segmentation")]),
    ("Mask2Former", "Masked-attention Mask Transformer for Universal Image Segmentation",
     "Mask2Former sets a new state-of-the-art for panoptic segmentation (57.8 PQ on COCO), instance segmentation (50.1 AP on COCO) "
     "and semantic segmentation (57.7 mIoU on ADE20K).",
     [(57.8, "other:pq", "absolute", "COCO", "panoptic_segmentation"), (50.1, "mask_ap", "absolute", "COCO", "instance_segmentation"),
      (57.7, "miou", "absolute", "ADE20K", "semantic_segmentation")]),
    ("wav2vec 2.0", "wav2vec 2.0: A Framework for Self-Supervised Learning of Speech Representations",
     "Experiments using all labeled data of Librispeech achieve 1.8/3.3 WER on the clean/other test sets.",
     [(1.8, "wer", "absolute", "LibriSpeech", "speech_recognition"), (3.3, "wer", "absolute", "LibriSpeech", "speech_recognition")]),
    ("wav2vec 2.0 (shape of the model docs)", "A speech model",
     "Our model achieves a WER of 1.8/3.3 on LibriSpeech test-clean/test-other.",
     [(1.8, "wer", "absolute", "LibriSpeech", None), (3.3, "wer", "absolute", "LibriSpeech", None)]),
    ("HuBERT", "HuBERT: Self-Supervised Speech Representation Learning by Masked Prediction of Hidden Units",
     "Using a 1B parameter model, HuBERT shows up to 19% and 13% relative WER reduction on the more challenging dev-other and test-other evaluation subsets.",
     [(1.0, "params", "absolute", None, None), (19.0, "wer", "delta", "LibriSpeech", "speech_recognition"), (13.0, "wer", "delta", "LibriSpeech", None)]),
    ("PEGASUS", "PEGASUS: Pre-training with Extracted Gap-sentences for Abstractive Summarization",
     "PEGASUS achieves ROUGE-1/2/L of 44.17/21.47/41.11 on CNN/DailyMail.",
     [(44.17, "rouge", "absolute", "CNN/DailyMail", "summarization"), (21.47, "rouge", "absolute", None, None), (41.11, "rouge", "absolute", None, None)]),
    ("Latent Diffusion Models", "High-Resolution Image Synthesis with Latent Diffusion Models",
     "Our LDM-4 reaches an FID of 3.60 and an IS of 247.67 on class-conditional ImageNet 256x256.",
     [(3.6, "fid", "absolute", "ImageNet-1K", "image_generation"), (247.67, "inception_score", "absolute", "ImageNet-1K", "image_generation")]),
    ("Stable Diffusion / LDM", "A latent model",
     "It obtains a zero-shot FID of 12.63 on MS-COCO 256x256 with a CLIP score of 0.30.",
     [(12.63, "fid", "absolute", "COCO", "text_to_image_generation"), (0.30, "clip_score", "absolute", None, "text_to_image_generation")]),
    ("DALL-E 2", "Hierarchical Text-Conditional Image Generation with CLIP Latents",
     "Our decoder achieves a zero-shot FID of 10.39 on MS-COCO.",
     [(10.39, "fid", "absolute", "COCO", "text_to_image_generation")]),
    ("ViTPose", "ViTPose: Simple Vision Transformer Baselines for Human Pose Estimation",
     "Our biggest ViTPose model based on the ViTAE-G backbone with 1 billion parameters obtains the best 80.9 AP on the MS COCO test-dev set.",
     [(1.0, "params", "absolute", None, None), (80.9, "ap", "absolute", "COCO", "pose_estimation")]),
    ("HRNet-style pose abstract", "A study",
     "Our model achieves 92.3 PCKh@0.5 on the MPII benchmark and 75.8 keypoint AP on COCO test-dev.",
     [(92.3, "other:pck", "absolute", "MPII", "pose_estimation"), (75.8, "ap", "absolute", "COCO", "pose_estimation")]),
    ("Mask R-CNN-style detection abstract", "A study",
     "Mask R-CNN achieves 37.1 mask AP and 39.8 AP^b on COCO test-dev, with AP50 of 60.3 and AP_{75} of 39.4.",
     [(37.1, "mask_ap", "absolute", "COCO", None), (39.8, "box_ap", "absolute", "COCO", None), (60.3, "other:ap50", "absolute", None, None),
      (39.4, "other:ap75", "absolute", None, None)]),
    ("ViTDet", "Exploring Plain Vision Transformer Backbones for Object Detection",
     "ViTDet achieves up to 61.3 AP^box on the COCO dataset using only ImageNet-1K pre-training.",
     [(61.3, "box_ap", "absolute", "COCO", "object_detection")]),
    ("Transformer", "Attention Is All You Need",
     "Our model achieves 28.4 BLEU on the WMT 2014 English-to-German translation task, improving over the existing best results, including ensembles, by over 2 BLEU.",
     [(28.4, "bleu", "absolute", "WMT14 En-De", "machine_translation"), (2.0, "bleu", "delta", "WMT14 En-De", None)]),
    ("T5", "A study",
     "Our largest model with 11 billion parameters achieves a SuperGLUE score of 88.9 and an EM of 91.3 on SQuAD v1.1.",
     [(11.0, "params", "absolute", None, None), (88.9, "performance", "absolute", "SuperGLUE", None), (91.3, "other:exact_match", "absolute", "SQuAD v1.1", "question_answering")]),
    ("BERT", "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
     "including pushing the GLUE score to 80.5%, MultiNLI accuracy to 86.7%, SQuAD v1.1 question answering Test F1 to 93.2 "
     "(1.5 point absolute improvement) and SQuAD v2.0 Test F1 to 83.1 (5.1 point absolute improvement).",
     [(80.5, None, "absolute", None, None), (86.7, "accuracy", "absolute", None, None), (93.2, "f1", "absolute", "SQuAD v1.1", "question_answering"),
      (83.1, "f1", "absolute", "SQuAD v2.0", "question_answering"), (5.1, "f1", "delta", "SQuAD v2.0", None)]),
    ("SegFormer (shape)", "A study",
     "On the Cityscapes test set, we obtain 82.1% mIoU, and 45.6 mIoU on ADE20K val.",
     [(82.1, "miou", "absolute", "Cityscapes", "semantic_segmentation"), (45.6, "miou", "absolute", "ADE20K", "semantic_segmentation")]),
    ("SegFormer", "SegFormer: Simple and Efficient Design for Semantic Segmentation with Transformers",
     "For example, SegFormer-B4 achieves 50.3% mIoU on ADE20K with 64M parameters, being 5x smaller and 2.2% better than the previous best method.",
     [(50.3, "miou", "absolute", "ADE20K", None), (64.0, "params", "absolute", None, None), (5.0, "params", "ratio", None, None), (2.2, "miou", "delta", None, None)]),
    ("EfficientViT (shape)", "A study",
     "EfficientViT-M5 runs at 1,200 images/s on a V100 GPU, with 4.3 GFLOPs, while achieving 77.1% top-1.",
     [(1200.0, "fps", "absolute", None, None), (4.3, "flops", "absolute", None, None), (77.1, "top1_accuracy", "absolute", None, None)]),
    ("GPT-3", "Language Models are Few-Shot Learners",
     "Specifically, we train GPT-3, an autoregressive language model with 175 billion parameters, 10x more than any previous non-sparse language model.",
     [(175.0, "params", "absolute", None, None), (10.0, "params", "ratio", None, None)]),
    ("LoRA", "LoRA: Low-Rank Adaptation of Large Language Models",
     "LoRA performs on-par or better than fine-tuning with only 0.1% of the trainable parameters and no additional inference latency.",
     [(0.1, "params", "ratio", None, None)]),
    ("Imagen", "Photorealistic Text-to-Image Diffusion Models with Deep Language Understanding",
     "Imagen achieves a new state-of-the-art FID score of 7.27 on the COCO dataset, without ever training on COCO.",
     [(7.27, "fid", "absolute", "COCO", "text_to_image_generation")]),
    ("RT-DETR (shape)", "A study",
     "RT-DETR-L achieves 53.0% AP on COCO val2017 and 114 FPS on a T4 GPU, while RT-DETR-X achieves 54.8% AP and 74 FPS.",
     [(53.0, "box_ap", "absolute", "COCO", "object_detection"), (114.0, "fps", "absolute", None, None), (54.8, "box_ap", "absolute", "COCO", None),
      (74.0, "fps", "absolute", None, None)]),
]


@pytest.mark.parametrize("source, title, text, expected", ROWS, ids=[r[0] for r in ROWS])
def test_model_doc_sentence(source, title, text, expected):
    claims = extract_claims(Paper(id="t", title=title, abstract=text, source="test"))
    got = [(c.value, c.metric, c.kind, c.dataset, c.task) for c in claims]
    for value, metric, kind, dataset, task in expected:
        hit = [c for c in claims if abs(c.value - value) < 1e-9]
        assert hit, f"{source}: no claim {value}: {got}"
        c = hit[0]
        for field, want in (("metric", metric), ("kind", kind), ("dataset", dataset), ("task", task)):
            if want is not None:
                assert getattr(c, field) == want, f"{source}: {value} {field}={getattr(c, field)!r}, want {want!r}: {got}"


@pytest.mark.parametrize("text", [
    "DETR demonstrates accuracy and run-time performance on par with Faster RCNN on the COCO dataset.",
    "We use 1/6 of the parameters of Kinetics-400/600 models.",
])
def test_no_slash_claims(text):
    claims = extract_claims(Paper(id="t", title="A study", abstract=text, source="test"))
    assert not [c for c in claims if c.value in (6.0, 600.0, 1.0)]
